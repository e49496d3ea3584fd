import { describeLocation, explainFailure } from './explainFailure.ts';
import type { RestoreFailure } from './restoreResponse.ts';

export function RestoreFailureCard({ failure, onRetry }: { failure: RestoreFailure; onRetry: () => void }) {
  const explanation = explainFailure(failure);
  return (
    <section className="card stack card-error" role="alert" aria-labelledby="restore-failure-title">
      <h2 id="restore-failure-title">{explanation.title}</h2>
      {explanation.detail && <p className="failure-detail">{explanation.detail}</p>}
      {failure.errors.length > 0 && (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {failure.errors.map((problem, index) => (
              <tr key={index}>
                <td>{describeLocation(problem)}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failure.warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul className="warnings">
            {failure.warnings.map((warning, index) => (
              <li key={index}>
                {warning.table && <strong>{warning.table}: </strong>}
                {warning.message}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>{explanation.advice}</p>
      <div>
        <button type="button" className="secondary" onClick={onRetry}>
          Choose another file
        </button>
      </div>
    </section>
  );
}

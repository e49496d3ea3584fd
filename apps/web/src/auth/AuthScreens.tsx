import { useEffect } from 'react';
import { navigate, usePath } from '../app/router.tsx';
import { LoginForm } from './LoginForm.tsx';
import { SignupForm } from './SignupForm.tsx';

export function AuthScreens() {
  const path = usePath();
  const signup = path === '/signup';
  useEffect(() => {
    if (path !== '/signup' && path !== '/login') navigate('/login', { replace: true });
  }, [path]);
  return (
    <main className="auth">
      <div className="auth-card card">
        <p className="brand">Hisaabo</p>
        {signup ? <SignupForm /> : <LoginForm />}
      </div>
    </main>
  );
}

import { SignUpForm } from './sign-up-form'

export default function SignUpPage() {
  return (
    <>
      <h1 data-testid="page-sign-up">Sign up</h1>
      <SignUpForm />
    </>
  )
}

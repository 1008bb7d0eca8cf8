"""Server-rendered account pages: sign-up, sign-in, password reset, sign-in with Google."""

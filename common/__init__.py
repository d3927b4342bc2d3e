"""Small helpers every app may use (the bottom layer): nothing here imports the project's apps."""

"""Entry point of the frozen bundle: the same `app.cli:main` the `wegwijs` console script runs."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

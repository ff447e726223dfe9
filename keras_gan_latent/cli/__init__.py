"""Command-line programs. Each module has `main(argv=None) -> int`."""

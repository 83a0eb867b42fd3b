"""The offline build of the bundled model (command line, no Qt): ``python -m desktop.build``."""

"""The command line: one module per command, wired up in :mod:`atscomms.cli.app`."""

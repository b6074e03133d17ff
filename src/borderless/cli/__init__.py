"""Command line: parse options, call a service, print a table or JSON."""

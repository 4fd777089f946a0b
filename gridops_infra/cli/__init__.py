"""The `gridops` command line: preview, check, cost, timing, graph, assess."""

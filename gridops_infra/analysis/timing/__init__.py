"""Deploy time of a Plan: typical create times per resource type with their public sources
(`sources.py`), the waits AWS and the Pulumi engine add (`rules.py`), and the critical path
(`estimate.py`)."""

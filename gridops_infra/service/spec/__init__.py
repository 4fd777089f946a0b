"""ServiceSpec: the platform-neutral description of a service, read from its arguments."""

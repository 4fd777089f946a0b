"""SingleServer: one EC2 host running the services under Docker Compose."""

"""What every component shares: argument checks and the catalogue of AWS's own rules."""

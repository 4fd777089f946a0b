"""Monthly cost of a Plan: AWS list prices (`prices_us_east_1.json`), usage assumptions,
one pricer per service family."""

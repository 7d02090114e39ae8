"""The regulators' CPD rules as data (data/regulators.toml): each regulator's cycle, renewal
window, rules with their sources, and a practitioner's registration and confirmations. Knows
nothing of entries: portfolio/standing.py judges a log by these rules."""

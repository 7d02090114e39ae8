"""Open Badges 3.0 credentials for signed-off portfolios: issued when a leader signs off a
submission, signed as a compact JWS with the portal's key, verified on a public page."""

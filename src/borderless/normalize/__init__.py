"""Pure normalisers for values that arrive in many spellings: countries, scripts, dates."""

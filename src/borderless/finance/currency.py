"""Amounts in one unit (EUR) so that flows in many currencies can be added and compared.

`PER_EUR` holds approximate 2025 reference rates (units of the currency per euro). They are
good enough to rank and total flows; an FIU with its own rates passes them to `to_eur`.
An unknown currency is taken at par and reported (`unknown_currencies`), never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

PER_EUR: Mapping[str, float] = {
    "EUR": 1.0,
    "USD": 1.08,
    "GBP": 0.84,
    "CHF": 0.95,
    "TRY": 37.0,
    "JOD": 0.77,
    "PKR": 300.0,
    "UAH": 45.0,
    "INR": 92.0,
    "KES": 140.0,
    "COP": 4500.0,
    "CNY": 7.8,
    "AED": 3.97,
    "HKD": 8.4,
    "IQD": 1410.0,
    "SAR": 4.05,
    "RUB": 95.0,
    "JPY": 162.0,
}


def to_eur(
    amount: npt.NDArray[np.float64],
    currency_codes: npt.NDArray[np.int32],
    currencies: list[str],
    rates: Mapping[str, float] = PER_EUR,
) -> npt.NDArray[np.float64]:
    """`amount` (in `currencies[currency_codes]`) converted to EUR."""
    per_eur = np.array([rates.get(c, 1.0) for c in currencies] or [1.0], dtype=np.float64)
    result: npt.NDArray[np.float64] = amount / per_eur[currency_codes]
    return result


def unknown_currencies(currencies: list[str], rates: Mapping[str, float] = PER_EUR) -> list[str]:
    return sorted(c for c in currencies if c not in rates)

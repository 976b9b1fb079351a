"""Money as integers in minor units with an ISO 4217 currency: checked and shown, never a float."""

from decimal import Decimal

from mindnotes.errors import UserError

# Active ISO 4217 codes (2024 list, without funds and precious metals).
ISO_CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF
    XPF YER ZAR ZMW ZWL
    """.split()  # noqa: SIM905 - a table reads better than 160 quoted strings
)
# Currencies whose minor unit is not a hundredth (ISO 4217 exponent).
_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENTS = {**dict.fromkeys(_ZERO_DECIMALS.split(), 0), **dict.fromkeys(_THREE_DECIMALS.split(), 3)}


class InvalidAmount(UserError):
    """An amount or currency we cannot book; the message says which."""


def checked_money(amount_minor: object, currency: object) -> tuple[int, str]:
    """(amount, CURRENCY) when `amount_minor` is a whole number >= 0 and `currency` an ISO code."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise InvalidAmount("The amount must be a whole number of minor units (cents), not a decimal.")
    if amount_minor < 0:
        raise InvalidAmount("The amount cannot be negative.")
    code = currency.strip().upper() if isinstance(currency, str) else ""
    if code not in ISO_CURRENCIES:
        raise InvalidAmount(f"{currency!r} is not an ISO 4217 currency code (for example EUR or USD).")
    return amount_minor, code


def format_money(amount_minor: int, currency: str) -> str:
    """`900, "EUR"` -> "9.00 EUR"; `500, "JPY"` -> "500 JPY"."""
    exponent = _EXPONENTS.get(currency, 2)
    value = Decimal(amount_minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))
    return f"{value:,} {currency}"

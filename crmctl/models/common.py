"""Types shared by every file kind."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from crmctl import vocabulary
from crmctl.ids import ID_MAX, ID_PATTERN


class Record(BaseModel):
    """Base of every model: unknown keys are errors; models build on first use."""

    model_config = ConfigDict(extra="forbid", defer_build=True, validate_default=False, strict=True)


Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX),
    Field(description="lowercase slug: letters, digits, single hyphens / 小写标识：字母、数字、单个连字符"),
]

# names of stages, document kinds and other things of the configuration (not folders)
Key = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="lowercase name with underscores, e.g. phone_invitation"),
]

Text = Annotated[str, StringConstraints(min_length=1)]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _date(value: Any) -> Any:
    # pydantic would read a bare number as a Unix timestamp; a year typed as
    # `2021` is then 1970-01-01. Only ISO dates are dates here.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("calendar_date", "{text} is not a day on the calendar",
                                      {"text": value}) from None
    raise PydanticCustomError("iso_date", "expected a date written YYYY-MM-DD")


# the pattern too: editors that do not assert formats still mark 2026-1-2
Date = Annotated[dt.date, BeforeValidator(_date),
                 Field(json_schema_extra={"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})]


def _phone(value: Any) -> Any:
    # an unquoted mobile number reads as an int; it is still the same digits
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# an unquoted number is a phone number too: the schema says so, so editors agree with check
Phone = Annotated[str, BeforeValidator(_phone), StringConstraints(min_length=3, max_length=40),
                  WithJsonSchema({"anyOf": [{"type": "string", "minLength": 3, "maxLength": 40},
                                            {"type": "integer", "minimum": 100, "maximum": 10**40 - 1}]})]

def _whole(value: Any) -> Any:
    # JSON Schema (and so every editor using crmctl's schemas) takes 30.0 as the integer 30; so
    # does check. A yes/no value or a numeric text stays what it is, and is refused (strict mode)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = Annotated[int, BeforeValidator(_whole)]

MONEY_MAX = 10**13
# what people write for an amount: 500000, 500,000, 50万, 50万元, 1.2亿 (a space before the unit is fine)
_AMOUNT_TEXT = r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?[ ]?(万|亿)?元?"
_AMOUNT = re.compile(_AMOUNT_TEXT + r"\Z")
_AMOUNT_UNITS = {None: 1, "万": 10**4, "亿": 10**8}


def parse_amount(value: Any) -> Decimal:
    """An amount of money, exactly: never a float, so sums and totals are right to the fen."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PydanticCustomError("amount_type", "expected an amount")
    if isinstance(value, str):
        written = _AMOUNT.match(value.strip())
        if written is None:
            raise PydanticCustomError("amount_format", "{text} is not an amount", {"text": value})
        digits, fraction, unit = written.groups()
        amount = Decimal(digits.replace(",", "") + (fraction or "")) * _AMOUNT_UNITS[unit]
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError("finite_number", "not a finite number")
        amount = Decimal(repr(value))  # the digits as written (the YAML reader made it a float)
    else:
        amount = Decimal(value)
    if not 0 <= amount <= MONEY_MAX:
        return amount  # the bounds below say what is wrong
    if amount != amount.quantize(Decimal("0.01")):
        raise PydanticCustomError("amount_precision", "{text} has more decimals than fen", {"text": str(value)})
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


# upper bounds are crmctl's choice: far beyond any sale (ten trillion yuan, ten million vehicles),
# they only stop a number that is a typo or an attack from flowing into sums and reports
Money = Annotated[Decimal, BeforeValidator(parse_amount), Field(ge=0, le=MONEY_MAX),
                  WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": MONEY_MAX},
                                            {"type": "string", "pattern": f"^{_AMOUNT_TEXT}$"}],
                                  "description": "amount in the repository's currency: 500000, 500,000, 50万, 1.2亿"
                                                 " / 金额（仓库币种）"})]
# .inf and .nan are YAML 1.2 numbers, but no score, tonnage or target is infinite
Finite = Annotated[float, Field(allow_inf_nan=False)]
# Field before the validator, so the schema carries minimum/maximum (not pydantic's own ge/le)
Count = Annotated[int, Field(ge=0, le=10**7), BeforeValidator(_whole)]
Percent = Annotated[float, Field(ge=0, le=100)]

Market = Literal[tuple(vocabulary.MARKET)]  # type: ignore[valid-type]

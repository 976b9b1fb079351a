"""Operations a person performs; the only code that touches both stores."""

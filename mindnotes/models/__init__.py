"""SQLAlchemy models: everything that needs ACID, joins and foreign keys."""

from mindnotes.models.exports import ExportRequest
from mindnotes.models.focus import FocusProgram, ProgramDay, ProgramEnrollment
from mindnotes.models.journal import Tag
from mindnotes.models.mood import MoodCategory, MoodCategoryChoice, MoodFactor, MoodFactorChoice
from mindnotes.models.plans import Payment, Plan, ProviderEvent, Subscription
from mindnotes.models.prompts import DailyPrompt, PromptCategory
from mindnotes.models.security import AccountSecurity, AccountToken, RecoveryCode, SecurityEvent, UserSession
from mindnotes.models.users import Profile, User

__all__ = [
    "AccountSecurity",
    "AccountToken",
    "DailyPrompt",
    "ExportRequest",
    "FocusProgram",
    "MoodCategory",
    "MoodCategoryChoice",
    "MoodFactor",
    "MoodFactorChoice",
    "Payment",
    "Plan",
    "Profile",
    "ProgramDay",
    "ProgramEnrollment",
    "PromptCategory",
    "RecoveryCode",
    "SecurityEvent",
    "ProviderEvent",
    "Subscription",
    "Tag",
    "User",
    "UserSession",
]

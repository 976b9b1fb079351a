"""The forms of the security pages."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from mindnotes.blueprints.auth.forms import password_long_enough


class EmailForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[InputRequired(), password_long_enough, Length(max=1024)])
    confirm = PasswordField(
        "Repeat new password", validators=[InputRequired(), EqualTo("password", "The passwords differ.")]
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Current password", validators=[InputRequired(), Length(max=1024)])


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app", validators=[InputRequired(), Length(max=32)])


class PasswordCodeForm(FlaskForm):
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])
    code = StringField("Authenticator code or recovery code", validators=[InputRequired(), Length(max=32)])


class DeleteForm(FlaskForm):
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])
    code = StringField("Authenticator code or recovery code", validators=[Optional(), Length(max=32)])

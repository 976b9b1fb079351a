"""A person at a browser without JavaScript, over real HTTP: pages, links and the real forms.

`Person.get` opens a page; `Page.form(...)` finds one of its forms as the HTML
has it (action, method, hidden fields such as `csrf_token`, the defaults a
browser would send); `Person.submit` fills some fields and sends it. A field the
form does not have, or a choice it does not offer, fails the test, as a person
could not type it. Every response, redirects included, must be below 500.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import requests

CHOICE_TYPES = {"checkbox", "radio"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Control:
    """One named field of a form: its kind and, for a choice, the options as (value, label)."""

    name: str
    kind: str
    options: list[tuple[str, str]] = field(default_factory=list)
    label: str = ""

    def value_for(self, label: str) -> str:
        """The value of the option whose label is `label` (whitespace and case ignored)."""
        wanted = " ".join(label.split()).casefold()
        for value, text in self.options:
            if " ".join(text.split()).casefold() == wanted:
                return value
        raise AssertionError(f"{self.name} offers no {label!r}; it offers {[text for _, text in self.options]}")


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    defaults: list[tuple[str, str]] = field(default_factory=list)
    controls: dict[str, Control] = field(default_factory=dict)
    buttons: list[dict] = field(default_factory=list)
    file_fields: set[str] = field(default_factory=set)

    def control(self, name: str) -> Control:
        assert name in self.controls, f"The form to {self.action} has no field {name!r}: {sorted(self.controls)}"
        return self.controls[name]

    def labelled(self, label: str) -> str:
        """The name of the field whose <label> reads `label` (case ignored)."""
        names = [name for name, control in self.controls.items() if control.label.casefold() == label.casefold()]
        assert len(names) == 1, f"{len(names)} fields labelled {label!r} in the form to {self.action}"
        return names[0]

    def default(self, name: str) -> str:
        """What the form sends for `name` as it stands (its first value)."""
        values = [value for field_name, value in self.defaults if field_name == name]
        assert values, f"The form to {self.action} sends no {name!r}"
        return values[0]

    def button(self, text: str) -> dict:
        for button in self.buttons:
            if " ".join(button["text"].split()) == text:
                return button
        raise AssertionError(f"The form to {self.action} has no button {text!r}: {[b['text'] for b in self.buttons]}")


class _FormParser(HTMLParser):
    """Collects every <form> with its fields, option labels and submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.labels_for: dict[str, str] = {}
        self.pending_label_ids: list[tuple[Control, str, str]] = []  # (control, value, element id)
        self.field_ids: list[tuple[Control, str]] = []  # (control, element id): its label comes from <label for>
        self.label: dict | None = None  # the open <label>: its `for`, its text, a choice inside it
        self.select: Control | None = None
        self.select_multiple = False
        self.select_chosen: list[str] = []
        self.option: dict | None = None
        self.textarea: dict | None = None
        self.button: dict | None = None
        self.hidden: list[str] = []  # open elements with aria-hidden="true": not part of a label's name

    def _add_control(self, name: str, kind: str) -> Control:
        assert self.form is not None
        return self.form.controls.setdefault(name, Control(name, kind))

    def handle_starttag(self, tag, attrs):
        attributes = {key: (value if value is not None else "") for key, value in attrs}
        if (self.hidden or attributes.get("aria-hidden") == "true") and tag not in VOID:
            self.hidden.append(tag)
        if tag == "form":
            self.form = Form(
                action=attributes.get("action", ""),
                method=attributes.get("method", "get").lower(),
                enctype=attributes.get("enctype", "application/x-www-form-urlencoded"),
            )
        elif tag == "label":
            self.label = {"for": attributes.get("for"), "text": "", "choice": None}
        elif self.form is None:
            return
        elif tag == "input":
            self._input(attributes)
        elif tag == "select" and attributes.get("name"):
            self.select = self._add_control(attributes["name"], "select")
            self.field_ids.append((self.select, attributes.get("id", "")))
            self.select_multiple = "multiple" in attributes
            self.select_chosen = []
        elif tag == "option" and self.select is not None:
            self.option = {"value": attributes.get("value"), "text": "", "selected": "selected" in attributes}
        elif tag == "textarea" and attributes.get("name"):
            self.field_ids.append((self._add_control(attributes["name"], "textarea"), attributes.get("id", "")))
            self.textarea = {"name": attributes["name"], "text": ""}
        elif tag == "button":
            self.button = {
                "name": attributes.get("name"),
                "value": attributes.get("value", ""),
                "formaction": attributes.get("formaction"),
                "type": attributes.get("type", "submit"),
                "text": "",
            }

    def _input(self, attributes: dict) -> None:
        assert self.form is not None
        kind = attributes.get("type", "text").lower()
        name = attributes.get("name")
        if kind in {"submit", "image"}:
            self.form.buttons.append(
                {
                    "name": name,
                    "value": attributes.get("value", ""),
                    "formaction": attributes.get("formaction"),
                    "type": "submit",
                    "text": attributes.get("value", ""),
                }
            )
            return
        if not name or kind in NOT_SENT - {"file"}:
            return
        if kind == "file":
            self.form.file_fields.add(name)
            return
        control = self._add_control(name, kind)
        value = attributes.get("value", "on" if kind in CHOICE_TYPES else "")
        if kind in CHOICE_TYPES:
            control.options.append((value, ""))
            if "checked" in attributes:
                self.form.defaults.append((name, value))
            if self.label is not None:
                self.label["choice"] = (control, len(control.options) - 1)
            elif attributes.get("id"):
                self.pending_label_ids.append((control, value, attributes["id"]))
        else:
            self.form.defaults.append((name, value))
            self.field_ids.append((control, attributes.get("id", "")))

    def handle_data(self, data):
        if self.label is not None and not self.hidden:
            self.label["text"] += data
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data
        if self.button is not None:
            self.button["text"] += data

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
        if tag == "label" and self.label is not None:
            text = " ".join(self.label["text"].split())
            if self.label["for"]:
                self.labels_for[self.label["for"]] = text
            if self.label["choice"] is not None:
                control, index = self.label["choice"]
                control.options[index] = (control.options[index][0], text)
            self.label = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            self.select.options.append((value, " ".join(self.option["text"].split())))
            if self.option["selected"]:
                self.select_chosen.append(value)
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            # A list sends what is selected; a drop-down, its last selected option or else its first.
            chosen = self.select_chosen
            if not self.select_multiple:
                chosen = chosen[-1:] or [value for value, _ in self.select.options[:1]]
            self.form.defaults.extend((self.select.name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            # A browser drops the one newline that may follow <textarea>.
            self.form.defaults.append((self.textarea["name"], self.textarea["text"].removeprefix("\n")))
            self.textarea = None
        elif tag == "button" and self.button is not None and self.form is not None:
            if self.button["type"] == "submit":
                self.form.buttons.append(self.button)
            self.button = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None

    def close(self):
        super().close()
        for control, value, element_id in self.pending_label_ids:
            label = self.labels_for.get(element_id, "")
            control.options = [(v, label if v == value and not text else text) for v, text in control.options]
        for control, element_id in self.field_ids:
            control.label = control.label or self.labels_for.get(element_id, "")


def page_text(html: str) -> str:
    """What a person reads on the page: the text of <main> (or the body), whitespace collapsed."""
    main = re.search(r"<main\b.*?</main>", html, re.S)
    body = main.group(0) if main else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


class Page:
    """A page as it arrived: its address, status, HTML, text and forms."""

    def __init__(self, response: requests.Response) -> None:
        self.response = response
        self.url = response.url
        self.path = urlparse(response.url).path
        self.status = response.status_code
        self.html = response.text
        self.text = page_text(self.html)
        parser = _FormParser()
        parser.feed(self.html)
        parser.close()
        self.forms = [
            Form(
                urljoin(self.url, form.action or self.url),
                form.method,
                form.enctype,
                form.defaults,
                form.controls,
                form.buttons,
                form.file_fields,
            )
            for form in parser.forms
        ]

    def form(self, action: str | None = None, button: str | None = None, method: str | None = None) -> Form:
        """The one form that posts to `action` (a path, or a regex of one) and/or has the button `button`."""
        found = []
        for form in self.forms:
            path = urlparse(form.action).path
            if action is not None and not re.fullmatch(action, path):
                continue
            if method is not None and form.method != method:
                continue
            if button is not None and not any(" ".join(b["text"].split()) == button for b in form.buttons):
                continue
            found.append(form)
        summary = [(urlparse(f.action).path, [b["text"].strip() for b in f.buttons]) for f in self.forms]
        where = f"action={action!r} button={button!r} on {self.path}"
        assert len(found) == 1, f"{len(found)} forms match {where}: {summary}"
        return found[0]

    def links(self, pattern: str) -> list[str]:
        """The addresses of the links whose path matches `pattern`, in page order."""
        hrefs = [unescape(href) for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', self.html)]
        return [urljoin(self.url, href) for href in hrefs if re.fullmatch(pattern, urlparse(href).path)]

    def sources(self, pattern: str) -> list[str]:
        """The addresses of the images and sounds (src) whose path matches `pattern`."""
        sources = [unescape(src) for src in re.findall(r'<(?:img|audio|source)\b[^>]*\bsrc="([^"]*)"', self.html)]
        return [urljoin(self.url, src) for src in sources if re.fullmatch(pattern, urlparse(src).path)]

    def count(self, html_fragment: str) -> int:
        return self.html.count(html_fragment)


class ServerError(AssertionError):
    """The app answered 500 or more to something a person did."""


class Person:
    """One person with one browser (a cookie jar) at `base_url`."""

    def __init__(self, base_url: str, server_log: Callable[[], str] = lambda: "") -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.server_log = server_log
        self.seen: list[tuple[str, str, int]] = []
        self.http.hooks["response"].append(self._check)

    def _check(self, response: requests.Response, *args, **kwargs) -> None:
        self.seen.append((response.request.method or "", response.url, response.status_code))
        if response.status_code >= 500:
            raise ServerError(
                f"{response.request.method} {response.url} answered {response.status_code}.\n"
                f"Server log (end):\n{self.server_log()[-6000:]}"
            )

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def get(self, path: str, **params) -> Page:
        return Page(self.http.get(self.url(path), params=params or None, timeout=30))

    def open(self, path: str) -> Page:
        """A page that must open as itself: 200, not a redirect (to the log-in page, say)."""
        page = self.get(path)
        assert page.status == 200, f"{path} answered {page.status}: {page.text[:500]}"
        assert page.path == urlparse(self.url(path)).path, f"{path} went to {page.path}"
        return page

    def submit(
        self,
        form: Form,
        fields: dict | None = None,
        files: dict | None = None,
        button: str | None = None,
    ) -> Page:
        """Send `form` as a browser would, with `fields` typed or chosen (a list for several
        checkboxes), `files` as {name: (filename, bytes, type)}, clicking `button` when named."""
        fields = fields or {}
        for name, value in fields.items():
            control = form.control(name)
            if control.kind in CHOICE_TYPES | {"select"}:
                offered = {option for option, _ in control.options}
                for one in value if isinstance(value, list) else [value]:
                    assert one in offered or (one == "" and control.kind != "select"), (
                        f"{name} offers no {one!r} (it offers {sorted(offered)})"
                    )
        for name in files or {}:
            assert name in form.file_fields, f"The form to {form.action} has no file field {name!r}"
        data = [(name, value) for name, value in form.defaults if name not in fields]
        for name, value in fields.items():
            chosen = value if isinstance(value, list) else [value]
            if form.controls[name].kind in CHOICE_TYPES:
                chosen = [one for one in chosen if one != ""]  # "" unticks: nothing is sent
            data.extend((name, one) for one in chosen)
        action = form.action
        if button is not None:
            clicked = form.button(button)
            action = urljoin(form.action, clicked["formaction"]) if clicked["formaction"] else action
            if clicked["name"]:
                data.append((clicked["name"], clicked["value"]))
        if form.method == "get":
            return Page(self.http.get(action, params=data, timeout=60))
        return Page(self.http.post(action, data=data, files=files or None, timeout=60))

    def wait_for(self, path: str, ready: Callable[[Page], bool], seconds: float = 60, every: float = 0.5) -> Page:
        """Reload `path` as a person would until `ready(page)`; fail after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            page = self.get(path)
            if ready(page):
                return page
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} was still not ready after {seconds} s: {page.text[:1500]}")
            time.sleep(every)

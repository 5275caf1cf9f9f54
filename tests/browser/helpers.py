"""What the browser tests check on every page they visit."""

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

# The file scripts/setup.sh copies from node_modules/axe-core. The app serves it
# itself (WhiteNoise), so the page loads it as a same-origin script that the CSP
# (script-src 'self' 'nonce-…') allows; the tests never need to bypass the CSP.
AXE_FILE = Path(__file__).resolve().parents[2] / "jigsaw" / "static" / "vendor" / "axe.min.js"
AXE_URL = "/static/vendor/axe.min.js"
AXE_RUN = """async () => {
  const results = await axe.run(document, {
    runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
  });
  return {
    version: axe.version,
    passes: results.passes.length,
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(' ')),
    })),
  };
}"""
BLOCKING_IMPACTS = {"serious", "critical"}

# Runs before any page script (Playwright injects it over CDP, so the site's CSP
# does not apply to it) and records every CSP violation the page reports.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""

# Every page (and the axe results for each) that the tests have checked, for the summary.
CHECKED: list[dict] = []


class Tab:
    """A page, plus what went wrong in it: console errors, uncaught exceptions."""

    def __init__(self, page: Page):
        self.page = page
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: {message.text}")

    def check(self, name: str) -> dict:
        """Check the page the tab is on: scripts ran under the CSP, and axe finds nothing serious."""
        page = self.page
        page.wait_for_load_state("load")
        # The inline (nonced) script marks the body; GOV.UK Frontend's module script
        # then initialises each component, which marks it with data-<module>-init.
        expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
        expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")

        page.add_script_tag(url=AXE_URL)
        result = page.evaluate(AXE_RUN)
        csp_violations = page.evaluate("() => window.__cspViolations || []")
        CHECKED.append({"page": name, "url": page.url, **result})

        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe found on the {name} page ({page.url}):\n" + describe(blocking)
        assert not csp_violations, f"CSP violations on the {name} page: {csp_violations}"
        assert not self.page_errors, f"Uncaught errors: {self.page_errors}"
        assert not self.console_errors, f"Console errors: {self.console_errors}"
        return result


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n"
        + "\n".join(f"    at {target}" for target in v["targets"])
        for v in violations
    )


def summary() -> str:
    return json.dumps(
        [
            {
                "page": c["page"],
                "passes": c["passes"],
                "violations": [f"{v['impact']}:{v['id']}" for v in c["violations"]],
            }
            for c in CHECKED
        ],
        indent=1,
    )

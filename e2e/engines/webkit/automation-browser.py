#!/usr/bin/python3
"""A minimal WebKitGTK browser for WebKitWebDriver, with Safari's tracking prevention on.

WebKitWebDriver starts it (`webkitgtk:browserOptions.binary`) and drives it over the
automation session WebKit opens when `WEBKIT_INSPECTOR_SERVER` is set. The stock
MiniBrowser runs automation in an ephemeral profile, where WebKit never installs the
client-side cookie cap of tracking prevention (ITP): script-written cookies would keep
their full lifetime there, unlike in Safari. Here the session gets a persistent profile
folder (given by the harness, removed by it) with ITP enabled, so `document.cookie`
lifetimes are capped at 7 days as in Safari while `Set-Cookie` ones are not.

Host names: every request goes through the harness's loopback HTTP proxy, which maps the
test names (*.example.test, other-brand.test) to 127.0.0.1. WebKit has no
host-resolver switch, and a proxy keeps /etc/hosts untouched.

Page errors: classic WebDriver reports none, so a user script, injected before the page's
own scripts, sends page errors, unhandled rejections, CSP violations and console.error
calls to this process, which appends them to PROFILE/problems.log for the harness.

Usage: automation-browser.py --profile DIR --proxy http://127.0.0.1:PORT [--name NAME]
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

# WebDriver's capability `browserName` must equal the name reported here.
DEFAULT_NAME = "refport-webkit"

# Runs in every frame at document start. User scripts are the browser's own, not the page's:
# a page's Content-Security-Policy does not apply to them.
REPORT_PROBLEMS = """
(function () {
  var handler = window.webkit.messageHandlers.refportProblem
  var report = function (text) { handler.postMessage(String(text)) }
  addEventListener('error', function (event) { report('pageerror: ' + event.message) })
  addEventListener('unhandledrejection', function (event) { report('unhandledrejection: ' + String(event.reason)) })
  document.addEventListener('securitypolicyviolation', function (event) { report('CSP violation: ' + event.violatedDirective) })
  var consoleError = console.error
  console.error = function () {
    report('console.error: ' + Array.prototype.join.call(arguments, ' '))
    return consoleError.apply(this, arguments)
  }
})()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--name", default=DEFAULT_NAME)
    # WebKitWebDriver may add its own switches (such as --automation): ignore them.
    args, _unknown = parser.parse_known_args()

    manager = WebKit2.WebsiteDataManager(
        base_data_directory=f"{args.profile}/data", base_cache_directory=f"{args.profile}/cache"
    )
    manager.set_itp_enabled(True)
    # Every scheme through the proxy, loopback included: the proxy is also the one place
    # that could see a request leave the machine, and it refuses those.
    manager.set_network_proxy_settings(
        WebKit2.NetworkProxyMode.CUSTOM, WebKit2.NetworkProxySettings.new(args.proxy, [])
    )
    context = WebKit2.WebContext.new_with_website_data_manager(manager)
    context.set_automation_allowed(True)
    context.get_cookie_manager().set_persistent_storage(
        f"{args.profile}/cookies.sqlite", WebKit2.CookiePersistentStorage.SQLITE
    )
    # A self-signed certificate serves https://www.example.test (Secure cookies).
    manager.set_tls_errors_policy(WebKit2.TLSErrorsPolicy.IGNORE)

    problems_log = f"{args.profile}/problems.log"

    def on_problem(_manager, result):
        with open(problems_log, "a", encoding="utf-8") as log:
            log.write(result.get_js_value().to_string().replace("\n", " ") + "\n")

    content = WebKit2.UserContentManager()
    content.register_script_message_handler("refportProblem")
    content.connect("script-message-received::refportProblem", on_problem)
    content.add_script(
        WebKit2.UserScript.new(
            REPORT_PROBLEMS,
            WebKit2.UserContentInjectedFrames.ALL_FRAMES,
            WebKit2.UserScriptInjectionTime.START,
            None,
            None,
        )
    )

    windows = []

    def create_web_view(_session):
        view = WebKit2.WebView(web_context=context, user_content_manager=content, is_controlled_by_automation=True)
        window = Gtk.Window()
        window.set_default_size(1024, 768)
        window.add(view)
        window.show_all()
        view.connect("close", lambda v: window.destroy())
        windows.append(window)
        return view

    def automation_started(_context, session):
        info = WebKit2.ApplicationInfo()
        info.set_name(args.name)
        info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
        session.set_application_info(info)
        session.connect("create-web-view", create_web_view)

    context.connect("automation-started", automation_started)

    # WebKitWebDriver ends the session by terminating the browser.
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, Gtk.main_quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, Gtk.main_quit)
    Gtk.main()


if __name__ == "__main__":
    sys.exit(main())

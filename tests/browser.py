"""Debian's Chromium driven by Selenium 4 (headless), nothing downloaded."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        return "chromium/chromium-driver not installed (apt-get install chromium chromium-driver fonts-noto-cjk)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return None


class Browser:
    def __init__(self, width: int = 390, height: int = 844, downloads: Path | None = None):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="skillcert-chrome-")
        self.downloads = Path(downloads or tempfile.mkdtemp(prefix="skillcert-dl-"))
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--lang=zh-CN", f"--user-data-dir={self.profile}",
                    f"--window-size={width},{height}"):
            o.add_argument(arg)
        o.add_experimental_option("prefs", {"download.default_directory": str(self.downloads),
                                            "download.prompt_for_download": False,
                                            "intl.accept_languages": "zh-CN,zh"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(self.downloads)})
        self.set_size(width, height)

    def set_size(self, width: int, height: int) -> None:
        """The viewport (not the window) at this size, as on a phone."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1,
                                     "mobile": width < 600})

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

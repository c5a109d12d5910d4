"""Headless Chromium for our pages: Debian's chromium, driven by Selenium.

The explorer's and the similarity report's tests, the explorer's screenshot
and its speed measurement open a page the same way: Debian's
/usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium
chromium-driver), never a browser Selenium would download, with
the browser's own background traffic off, and its console and network
logged, so that a test can see every message and every request.
"""
import os
import shutil
import tempfile
import time

CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
HOW_TO_INSTALL = ('headless Chromium is needed: apt-get install chromium '
                  'chromium-driver (Debian), and selenium (requirements/)')
FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
         '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage', '--force-device-scale-factor=1']


def missing():
    """Return why the browser cannot start here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return 'no {}: {}'.format(path, HOW_TO_INSTALL)
    try:
        import selenium  # noqa: F401
    except ImportError:
        return 'no selenium: ' + HOW_TO_INSTALL
    return None


class Browser:
    """One headless Chromium window, size width x height."""

    def __init__(self, width=1280, height=800):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.profile = tempfile.mkdtemp(prefix='chromium-')
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS + ['--user-data-dir=' + self.profile,
                             '--window-size={},{}'.format(width, height)]:
            options.add_argument(flag)
        options.set_capability('goog:loggingPrefs',
                               {'browser': 'ALL', 'performance': 'ALL'})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER),
                                       options=options)

    def open(self, path, ready='return document.readyState === "complete"',
             timeout=30):
        """Open the page at path and wait until the script ready is true."""
        self.driver.get('file://' + os.path.abspath(path))
        deadline = time.monotonic() + timeout
        while not self.script(ready):
            if time.monotonic() > deadline:
                raise TimeoutError('the page never became ready; console: '
                                   '{}'.format(self.console()))
            time.sleep(0.05)

    def viewport(self, width, height):
        """Make the page's viewport (not the window) width x height."""
        self.driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
            'width': width, 'height': height, 'deviceScaleFactor': 1,
            'mobile': False})

    def script(self, code, *args):
        """Run JavaScript in the page; return its result."""
        return self.driver.execute_script(code, *args)

    def console(self):
        """Return the console's messages since the last call."""
        return self.driver.get_log('browser')

    def requests(self, page):
        """Return the URLs the page at path page requested, itself included.

        The browser's own pages (its new tab) are not the page's.
        """
        import json
        document = 'file://' + os.path.abspath(page)
        urls = []
        for entry in self.driver.get_log('performance'):
            message = json.loads(entry['message'])['message']
            if (message['method'] == 'Network.requestWillBeSent'
                    and message['params'].get('documentURL') == document):
                urls.append(message['params']['request']['url'])
        return urls

    def failed_requests(self):
        """Return the URLs of requests that failed since the last call."""
        return [entry for entry in self.console()
                if 'Failed to load resource' in entry['message']]

    def close(self):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

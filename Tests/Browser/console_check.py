#!/usr/bin/env python3
"""Loads every page of Darkroom's console in Debian's Chromium (through Selenium and
chromium-driver) against a running `darkroom serve`, and checks what a user would see.

    console_check.py BASE_URL ARTEFACTS_DIR DEAD_JOB_ID HOSTILE_TEXT

For each page: the elements that carry its data are in the DOM with the expected text, no
image is broken, the browser logged no error, and no injected script ran. Then it clicks
Retry on a dead job, accepts the confirmation, and checks through the JSON API that the job
is queued again. A screenshot of each page goes to ARTEFACTS_DIR. Exits 1 listing every
failure, 0 when all held.
"""
import json
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

base, artefacts, dead_id, hostile = sys.argv[1:5]

options = Options()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def text_of(selector):
    elements = driver.find_elements(By.CSS_SELECTOR, selector)
    return elements[0].text if elements else None


def visit(path, name, expectations, missing_source=False):
    """Loads `path`, checks each (selector, text) pair, images, console errors and injection.

    `missing_source`: the page previews a job's source that does not exist (the dead job's),
    so that one image answers 404 and may be broken; nothing else may.
    """
    driver.get_log("browser")  # what earlier navigations logged is not this page's
    driver.get(base + path)
    for selector, text in expectations:
        found = text_of(selector)
        check(found is not None, f"{path}: no element {selector}")
        if found is not None and text:
            check(text in found, f"{path}: {selector} should show {text!r}, shows {found[:300]!r}")
    # Lazy images below the fold are not loaded yet; those that finished must have pixels.
    broken = driver.execute_script(
        "return Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
    if missing_source:
        broken = [src for src in broken if "/missing/" not in src]
    check(not broken, f"{path}: broken images {broken}")
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
              and not (missing_source and "/missing/" in entry["message"])]
    check(not errors, f"{path}: console errors {errors}")
    check(driver.execute_script("return window.__darkroomInjected === undefined"), f"{path}: an injected script ran")
    driver.save_screenshot(f"{artefacts}/{name}.png")


try:
    visit("/", "landing", [("#facts", "libvips"), ("#examples img", None)])
    visit("/console", "overview", [("#actor", "anonymous"), ("#live [data-key=requests_per_second]", None), (".chart svg", None)])
    visit("/console/queues", "queues", [("#queues tr[data-queue=pipelines]", "pipelines")])
    visit("/console/jobs?queue=pipelines&status=dead", "jobs-dead",
          [(f"#jobs tr[data-job='{dead_id}']", "dead"), (f"#jobs tr[data-job='{dead_id}'] .key", hostile)])
    visit("/console/jobs?queue=uploads", "jobs-uploads", [("#jobs", "completed")])
    visit(f"/console/jobs/{dead_id}", "job-dead", [("#status", "dead"), ("#error", hostile), ("#retry", "Retry")],
          missing_source=True)
    visit("/console/workers", "workers", [("#leader", "Scheduler"), ("#scaling", "pipelines")])
    visit("/console/images", "images", [("#objects", "originals/"), ("#objects", "demo/rocket.jpg"), ("#objects img", None)])
    visit("/console/playground", "playground", [("#signed-url", "/plain/local:///demo/"), ("#result", None)])
    visit("/console/pipelines", "pipelines", [("#pipelines", "web")])
    visit("/console/audit", "audit", [("#audit", None)])

    # The before/after page of a completed upload: its source and its derivative both load.
    driver.get(base + "/console/jobs?queue=uploads")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#jobs a[href^='/console/jobs/'], #jobs td a")]
    check(links, "no upload job to open")
    if links:
        driver.get(links[0])
        images = driver.find_elements(By.CSS_SELECTOR, "#images img")
        check(len(images) >= 2, f"a completed upload shows its source and derivatives, found {len(images)} images")
        loaded = driver.execute_script("return Array.from(document.querySelectorAll('#images img')).every(i => i.naturalWidth > 0)")
        check(loaded, "the before/after images load")
        driver.save_screenshot(f"{artefacts}/job-completed.png")

    # Retry a dead job: the click asks for confirmation, then the API shows it queued again.
    driver.get(f"{base}/console/jobs/{dead_id}")
    driver.find_element(By.ID, "retry").click()
    WebDriverWait(driver, 5).until(expected_conditions.alert_is_present()).accept()
    WebDriverWait(driver, 10).until(lambda d: "flash=" in d.current_url)
    check("queued again" in (text_of("#flash") or ""), f"the retry says so: {text_of('#flash')!r}")
    with urllib.request.urlopen(f"{base}/v1/jobs/{dead_id}") as response:
        status = json.load(response)["status"]
    check(status == "queued", f"after the click the API shows the job {status}, not queued")
    driver.save_screenshot(f"{artefacts}/job-retried.png")
    visit("/console/audit", "audit-after", [("#audit", "job.retry")])
finally:
    driver.quit()

for failure in failures:
    print("FAIL", failure)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)

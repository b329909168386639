// The survey page in a real browser (Debian's Chromium driven by playwright-core), on a phone-sized
// screen, in both languages. Screenshots are saved under test-artifacts/ to look at.
import { mkdir } from "node:fs/promises";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createSurvey } from "../../src/domain/surveys.ts";
import { createLogger } from "../../src/logger.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { TestClock } from "../support/clock.ts";
import { World } from "../support/world.ts";

const ARTIFACTS = "test-artifacts";
const clock = new TestClock("2026-11-25T02:00:00Z");
let server: RunningServer;
let browser: Browser;
let world: World;

beforeAll(async () => {
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: "memory://", SCHEDULER: "off", LOG_LEVEL: "silent" });
  server = await startServer(config, { logger: createLogger("silent"), clock });
  world = new World(server.core.db, clock);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A survey for a customer of a new workspace; its link on this server. */
async function surveyLink(locale: "en" | "zh", customerName: string) {
  const ws = await world.workspace({ locale });
  const alice = await world.member(ws, "alice");
  const customer = await server.core.db.prisma.customer.create({
    data: { workspaceId: ws.id, name: customerName, normalizedName: customerName.toLowerCase(), ownerId: alice.id },
  });
  const issued = await createSurvey(world.deps, ws, customer, { locale });
  return { url: `http://127.0.0.1:${server.port}/s/${issued.token}`, surveyId: issued.survey.id };
}

/** A phone (390 x 844, like an iPhone 14) that records console errors, such as a CSP violation. */
async function phone(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    // A 400 or 404 page is the answer meant; anything else (a blocked style, a script) is not.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

async function expectBigTapTargets(page: Page): Promise<void> {
  const labels = await page.locator(".scale label").all();
  expect(labels).toHaveLength(16);
  for (const label of labels) {
    const box = await label.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(44);
    expect(box?.height).toBeGreaterThanOrEqual(44);
  }
  // The page is no wider than the phone: nothing to scroll sideways.
  expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
}

describe("the survey page in Chromium on a phone", () => {
  it("in Chinese: taps on the scales, a comment, a thank-you page, and nothing taken twice", async () => {
    const { url, surveyId } = await surveyLink("zh", "北京科技 <i>有限公司</i>");
    const { page, errors } = await phone("zh-CN");
    expect((await page.goto(url))?.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe("满意度调查");
    expect(await page.locator(".for").textContent()).toBe("致 北京科技 <i>有限公司</i> 的简短调查");
    // The stylesheet applied under the Content-Security-Policy: the scales are big buttons.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('label[for="csat-1"]')).minHeight`)).toBe("52px");
    await expectBigTapTargets(page);
    await page.screenshot({ path: `${ARTIFACTS}/survey-zh.png`, fullPage: true });

    await page.tap('label[for="csat-4"]');
    await page.tap('label[for="nps-9"]');
    expect(await page.locator("#csat-4").isChecked()).toBe(true);
    await page.fill("#comment", "交付很及时，希望报表能更详细一些。");
    await page.screenshot({ path: `${ARTIFACTS}/survey-zh-filled.png`, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.tap("button[type=submit]")]);
    expect(await page.locator("h1").textContent()).toBe("感谢您的反馈！");
    await page.screenshot({ path: `${ARTIFACTS}/survey-zh-thanks.png`, fullPage: true });
    expect(await server.core.db.prisma.survey.findUniqueOrThrow({ where: { id: surveyId } })).toMatchObject({
      csat: 4,
      nps: 9,
      comment: "交付很及时，希望报表能更详细一些。",
    });

    // Opening the link again says it was answered, and offers no form.
    await page.goto(url);
    expect(await page.locator("h1").textContent()).toBe("已经提交过了");
    expect(await page.locator("form").count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/survey-zh-answered.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("in English: the browser asks for both answers, the server explains what is missing, and the switch changes language", async () => {
    const { url, surveyId } = await surveyLink("zh", "Acme & Sons");
    const { page, errors } = await phone("en-US");
    await page.goto(url);
    await Promise.all([page.waitForURL(/lang=en/), page.click("nav a")]);
    expect(await page.locator("h1").textContent()).toBe("How did we do?");
    expect(await page.locator(".for").textContent()).toBe("A short survey for Acme & Sons");
    await expectBigTapTargets(page);
    await page.screenshot({ path: `${ARTIFACTS}/survey-en.png`, fullPage: true });

    // The radio buttons are required: the browser itself keeps an empty form from being sent.
    await page.tap("button[type=submit]");
    expect(await page.evaluate("document.querySelector('form').checkValidity()")).toBe(false);
    // A browser that skips that check still gets a clear answer from the server.
    await page.tap('label[for="csat-2"]');
    await page.evaluate("document.querySelector('form').noValidate = true");
    const [invalid] = await Promise.all([page.waitForNavigation(), page.tap("button[type=submit]")]);
    expect(invalid?.status()).toBe(400);
    expect(await page.locator(".errors").textContent()).toContain("Choose how likely you are to recommend us, from 0 to 10.");
    expect(await page.locator("#csat-2").isChecked()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/survey-en-invalid.png`, fullPage: true });

    await page.tap('label[for="nps-3"]');
    await Promise.all([page.waitForNavigation(), page.tap("button[type=submit]")]);
    expect(await page.locator("h1").textContent()).toBe("Thank you!");
    expect(await page.locator(".message").textContent()).toContain("We are sorry we fell short.");
    await page.screenshot({ path: `${ARTIFACTS}/survey-en-thanks.png`, fullPage: true });
    expect(await server.core.db.prisma.survey.findUniqueOrThrow({ where: { id: surveyId } })).toMatchObject({
      csat: 2,
      nps: 3,
      locale: "zh",
    });
    expect(await server.core.db.prisma.feedback.count({ where: { customer: { name: "Acme & Sons" } } })).toBe(1);
    expect(errors).toEqual([]);
  });

  it("gives an expired link and a forged one their own pages", async () => {
    const { url } = await surveyLink("en", "Initech");
    const { page } = await phone("en-US");
    const forged = url.replace(/.{4}$/, "AAAA");
    expect((await page.goto(forged))?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Link not recognised");
    await page.screenshot({ path: `${ARTIFACTS}/survey-en-unknown.png`, fullPage: true });
    clock.advanceDays(31);
    try {
      expect((await page.goto(url))?.status()).toBe(410);
      expect(await page.locator("h1").textContent()).toBe("This link has expired");
      await page.screenshot({ path: `${ARTIFACTS}/survey-en-expired.png`, fullPage: true });
    } finally {
      clock.advanceDays(-31);
    }
  });
});

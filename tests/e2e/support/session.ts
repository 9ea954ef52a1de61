// Shared steps of the end-to-end specs.
import { expect, type Page } from '@playwright/test';

/** Logs in through the login screen's demo-account button and waits for the workspace. */
export async function login(page: Page, username: string) {
  await page.goto('/#/dashboard');
  await page.getByTestId('login-username').waitFor();
  await page.getByTestId(`demo-${username}`).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

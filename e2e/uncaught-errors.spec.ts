/// <reference lib="dom" />
import type { ConsoleMessage } from '@playwright/test';
import { expect, test } from './fixtures.js';

/**
 * An exception nothing caught (a timer, a promise nobody awaits), as the page shows it: in words
 * in the top bar until dismissed, its stack on the console. The page has run the demo first, so
 * that no call of its start can clear the message as a success clears the last failure.
 */

test.beforeEach(async ({ app }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
});

test('an exception thrown by a timer is shown in the top bar until dismissed, its stack on the console', async ({ app }, testInfo) => {
  const logged: ConsoleMessage[] = [];
  app.page.on('console', (message) => message.type() === 'error' && logged.push(message));
  await app.page.evaluate(() => {
    setTimeout(() => {
      throw new Error('the turn list has no turn 7');
    });
  });
  const error = app.page.getByRole('alert').filter({ hasText: 'Something went wrong' });
  await expect(error).toHaveText(/^Something went wrong: the turn list has no turn 7×?$/);
  await app.page.screenshot({ path: testInfo.outputPath('uncaught-error.png') });
  expect(logged.map((m) => m.text())).toEqual([expect.stringMatching(/^Uncaught \(shown in the top bar\): Error: the turn list has no turn 7\n\s+at /)]);

  await error.getByRole('button', { name: 'Dismiss error' }).click();
  await expect(error).toHaveCount(0);
  // The run is still there to work with.
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
});

test('a rejected promise nobody handled is shown in the top bar', async ({ app }) => {
  await app.page.evaluate(() => {
    void Promise.reject(new Error('the export could not be written'));
  });
  const error = app.page.getByRole('alert').filter({ hasText: 'Something went wrong' });
  await expect(error).toHaveText(/^Something went wrong: the export could not be written×?$/);
  await error.getByRole('button', { name: 'Dismiss error' }).click();
  await expect(error).toHaveCount(0);
});

test('a resize observer loop, which Chromium raises as a window error, is not shown', async ({ app }) => {
  // An observer that grows what it observes: Chromium gives up on the loop and says so on the window.
  const raised = await app.page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        window.addEventListener('error', (event) => resolve(event.message), { once: true });
        const box = document.body.appendChild(document.createElement('div'));
        new ResizeObserver(() => {
          box.style.height = `${box.offsetHeight + 1}px`;
        }).observe(box);
      }),
  );
  expect(raised).toMatch(/^ResizeObserver loop/);
  // Past the next frame, when a message would have been drawn.
  await app.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
  await expect(app.page.getByRole('alert')).toHaveCount(0);
});

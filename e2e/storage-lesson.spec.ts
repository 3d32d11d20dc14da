// A lesson pack: a teacher packs a CSV, its settings and a note; a student opens it in a fresh browser.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

test('a lesson pack carries the data, its target, the network settings and the note to another browser', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  const rows = ['x,y,where'];
  for (let i = 0; i < 200; i++) {
    const x = ((i * 37) % 100) / 25 - 2;
    const y = ((i * 61) % 100) / 25 - 2;
    rows.push(`${x},${y},${x * x + y * y < 1.5 ? 'inside' : 'outside'}`);
  }
  await page
    .getByLabel(/CSV/)
    .first()
    .setInputFiles({
      name: 'circle.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
  await page.getByRole('combobox', { name: /^Target column/ }).selectOption({ label: 'where' });
  await expect(page.getByText(/to predict where/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('123');
  await page.getByText('Make a lesson pack').click();
  await page.getByLabel('Lesson title').fill('Inside the circle');
  await page.getByLabel('Note for the class').fill('Try one hidden layer first.\n<b>Then two.</b>');
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export lesson pack' }).click(),
  ]);
  expect(dl.suggestedFilename()).toBe('Inside-the-circle.lesson.json');
  const pack = readFileSync((await dl.path()) as string, 'utf8');
  expect(JSON.parse(pack)).toMatchObject({
    format: 'backprop-lab/lesson',
    version: 1,
    title: 'Inside the circle',
    config: { epochs: 123 },
  });

  // A student's browser: nothing stored yet.
  const student = await (await browser.newContext()).newPage();
  await student.goto('/');
  await expect(student.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  await student.getByLabel(/Import a Backprop Lab file/).setInputFiles({
    name: 'lesson.json',
    mimeType: 'application/json',
    buffer: Buffer.from(pack),
  });
  const note = student.getByRole('complementary', { name: 'Lesson note' });
  await expect(note).toContainText('Inside the circle');
  // The note is text, never HTML.
  await expect(note).toContainText('<b>Then two.</b>');
  await expect(student.getByText(/to predict where/)).toBeVisible({ timeout: 30_000 });
  await expect(student.getByRole('combobox', { name: /^Target column/ })).toHaveValue('where');
  await expect(student.getByLabel('Epochs', { exact: true })).toHaveValue('123');
  await student.context().close();
});

import type { Page } from 'playwright-core';

/** Text below 4.5:1 contrast, controls without a name, and the heading outline of the page. */
export function accessibilityReport(page: Page) {
  return page.evaluate(() => {
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const parse = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const background = (el: Element | null): number[] => {
      for (let node = el; node; node = node.parentElement) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] !== 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const lowContrast: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      const style = getComputedStyle(el);
      if (!own || style.visibility === 'hidden' || (el as HTMLElement).offsetParent === null) continue;
      if (el.closest('.visually-hidden, .skip-link, button:disabled')) continue;
      const [a, b] = [luminance(parse(style.color).slice(0, 3)), luminance(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) lowContrast.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}`);
    }
    // A hidden input (the sign-out form's) is no control: nobody sees or reaches it.
    const unnamed = [...document.querySelectorAll('input:not([type="hidden"]), select, button, a[href]')]
      .filter((el) => {
        const labelled = (el as HTMLInputElement).labels?.length;
        return !labelled && !el.getAttribute('aria-label') && !el.textContent?.trim();
      })
      .map((el) => el.outerHTML.slice(0, 80));
    return {
      lowContrast,
      unnamed,
      h1: document.querySelectorAll('h1').length,
      h2: document.querySelectorAll('h2').length,
      lang: document.documentElement.lang,
    };
  });
}

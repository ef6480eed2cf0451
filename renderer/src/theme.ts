import { createTheme, defaultVariantColorsResolver, parseThemeColor, type VariantColorsResolver } from '@mantine/core';

/**
 * Mantine's light and outline variants put shade-6 text on a pale tint, and filled ones white on shade 6: below
 * WCAG AA contrast for most colours. Darken them so every badge and button reads at 4.5:1 or better.
 */
const accessibleVariants: VariantColorsResolver = (input) => {
  const resolved = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || parsed.shade !== undefined) return resolved;
  const shade = (n: number) => `var(--mantine-color-${parsed.color}-${n})`;
  // Shade 9 darkened a quarter: enough for orange, teal and yellow too, on their palest tint.
  const text = `color-mix(in srgb, ${shade(9)}, black 25%)`;
  switch (input.variant) {
    case 'light':
      return { ...resolved, background: shade(0), hover: shade(1), color: text };
    case 'subtle':
      return { ...resolved, hover: shade(0), color: text };
    case 'outline':
      return { ...resolved, color: text, border: `1px solid ${shade(8)}` };
    case 'filled':
      return { ...resolved, background: shade(8), hover: shade(9), color: 'var(--mantine-color-white)' };
    default:
      return resolved;
  }
};

// A calm, dense working palette: long days at a desk, many rows on screen, colour reserved for urgency.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "SFMono-Regular", Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650' },
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  variantColorResolver: accessibleVariants,
  // Modals, drawers and collapses open without sliding or fading for anyone who has asked their OS for less motion.
  respectReducedMotion: true,
  components: {
    Badge: { defaultProps: { radius: 'sm' } },
    // Links read at 4.5:1 or better on white, the grey page and the palest indigo of notices and chosen rows.
    Anchor: { defaultProps: { c: 'indigo.8' } },
    // A dialog's close button is an icon: it needs a name for screen readers (axe: button-name).
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});

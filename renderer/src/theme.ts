import { createTheme } from '@mantine/core';

// A calm, dense working palette: long days at a desk, many rows on screen, colour reserved for urgency.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "SFMono-Regular", Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650' },
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  components: {
    Badge: { defaultProps: { radius: 'sm' } },
  },
});

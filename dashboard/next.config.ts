import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Dependencies are installed once at the repository root.
  turbopack: { root: resolve(dirname(fileURLToPath(import.meta.url)), '..') },
};

export default config;

import { ensureDashboardBuilt } from '../../scripts/dashboard-build.ts';

// Build once before any browser test: test files run side by side, and a build
// started by one of them would replace the .next folder another is serving.
// The build sees an API address that answers nothing; every test then serves
// it against a different one, which passes only if the address is read at run
// time rather than baked into the build.
export default function setup(): void {
  ensureDashboardBuilt({ ...process.env, NEXT_PUBLIC_API_URL: 'http://127.0.0.1:9/graphql' });
}

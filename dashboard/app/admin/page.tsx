import type { Metadata } from 'next';
import { AdminPage } from '../../src/components/AdminPage';

export const metadata: Metadata = { title: 'Keys and audit' };

export default function Admin() {
  return <AdminPage />;
}

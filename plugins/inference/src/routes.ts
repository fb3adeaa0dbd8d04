import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Inference page (`/inference`). */
export const rootRouteRef = createRouteRef();

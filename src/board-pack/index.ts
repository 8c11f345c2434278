import type { Feature } from '../server/feature';
import { boardPackRouter, chartsRouter } from './board-pack.router';

/**
 * The board pack: Making Data Count charts and the monthly pack a board reads, as a page, a
 * PDF and spreadsheets (`/board-pack/<orgUnitCode>`, `/charts/spc.svg`), every figure read
 * through the board services under the requesting key's disclosure control.
 */
export const boardPackFeature: Feature = {
  name: 'board-pack',
  routes: [
    { path: '/board-pack', router: boardPackRouter },
    { path: '/charts', router: chartsRouter },
  ],
};

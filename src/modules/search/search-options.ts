import { seesExactPlaces } from '../../auth/access-control.js';
import type { Viewer } from '../../auth/viewer.js';
import type { OfferSearchOptions } from './plan.js';

/** Who sees free places as bands only is not sorted by exact numbers either. */
export const offerSearchOptions = (viewer: Viewer): OfferSearchOptions => ({
  exactFreePlaces: seesExactPlaces(viewer),
});

import { UUID } from '../../domain/ids.js';
import { fieldError } from '../../errors.js';

/**
 * Endpoint ids in the hub's global-id format (base64url "Type:uuid"); endpoints are not reachable
 * through node(id), so they are encoded here rather than listed among the Node types.
 */
export const toEndpointId = (id: string) =>
  Buffer.from(`WebhookEndpoint:${id}`, 'utf8').toString('base64url');

export function fromEndpointId(globalId: string, field = 'id'): string {
  const decoded = globalId.length <= 200 ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const [type, id] = decoded.split(':');
  if (type !== 'WebhookEndpoint' || !id || !UUID.test(id))
    throw fieldError(field, 'is not a webhook endpoint id');
  return id.toLowerCase();
}

/** The webhook-id header of a delivery (Standard Webhooks: the same for every attempt). */
export const webhookIdOf = (deliveryId: string) => `msg_${deliveryId.replaceAll('-', '')}`;

import type { ReactNode } from 'react';
import { WarningPanel } from '@backstage/core-components';
import { type ModelEntity, useModelEntity } from '../../hooks/useModelEntity';

/**
 * Renders its content for the model behind the current entity page, or, when the entity's
 * annotations do not say where the model runs, a warning that says which one is missing. Every
 * view of a model entity goes through here, so they all refuse the same entities the same way.
 */
export function ModelEntityGate(props: {
  /** The warning's title, saying what cannot be shown, e.g. "No history". */
  unavailableTitle: string;
  children: (model: ModelEntity) => ReactNode;
}) {
  const { unavailableTitle, children } = props;
  const model = useModelEntity();
  if (!model.locator) {
    return <WarningPanel title={unavailableTitle} message={model.problem} />;
  }
  return <>{children(model)}</>;
}

import { useId, useMemo, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import type {
  ModelType,
  TestInvocationRequest,
  TestProtocol,
} from '@internal/backstage-plugin-inference-common';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { ApiErrorPanel } from '../ApiError';
import { PermittedButton } from '../PermittedButton';
import type { InvocationSource } from './invocationSource';
import {
  defaultProtocol,
  hasBody,
  isStreamable,
  PROTOCOL_LABELS,
  protocolsFor,
} from './protocols';
import { parseRequestBody, RequestEditor } from './RequestEditor';
import { ResponseView } from './ResponseView';
import { StreamedText } from './StreamedText';
import { presetsFor, presetText } from './testPresets';
import { useTestInvocation } from './useTestInvocation';

export interface TestConsoleProps {
  modelType?: ModelType;
  /** The name OpenAI bodies carry in `model` (the gateway overrides it with the public name). */
  requestModelName: string;
  /** Whether the gateway can be used: published, with at least one key. */
  gatewayReady: boolean;
  gatewayHint?: string;
  permission: ModelPermission;
  source: InvocationSource;
}

/**
 * The test console: pick a protocol and a preset, edit the JSON body, send it through the backend
 * (never from the browser to the model), and read the status, latency and answer.
 */
export function TestConsole(props: TestConsoleProps) {
  const {
    modelType,
    requestModelName,
    gatewayReady,
    gatewayHint,
    permission,
    source,
  } = props;
  const fieldId = useId();
  const protocols = protocolsFor(modelType);
  const [protocol, setProtocol] = useState<TestProtocol>(
    defaultProtocol(modelType),
  );
  const presets = presetsFor(protocol);
  const [presetId, setPresetId] = useState(presets[0]?.id ?? '');
  const [bodyText, setBodyText] = useState(() =>
    presets[0] ? presetText(presets[0], requestModelName) : '',
  );
  const [target, setTarget] = useState<TestInvocationRequest['target']>(
    gatewayReady ? 'gateway' : 'in-cluster',
  );
  const [stream, setStream] = useState(false);
  const { state, send } = useTestInvocation(source);
  const parsed = useMemo(() => parseRequestBody(bodyText), [bodyText]);

  const chooseProtocol = (next: TestProtocol) => {
    setProtocol(next);
    const first = presetsFor(next)[0];
    setPresetId(first?.id ?? '');
    setBodyText(first ? presetText(first, requestModelName) : '');
  };
  const choosePreset = (id: string) => {
    const preset = presets.find(p => p.id === id);
    setPresetId(id);
    if (preset) setBodyText(presetText(preset, requestModelName));
  };
  const submit = () =>
    send({
      protocol,
      target,
      ...(hasBody(protocol) && parsed.body !== undefined
        ? { body: parsed.body }
        : {}),
      ...(isStreamable(protocol) && stream ? { stream: true } : {}),
    });

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Request">
          <Box display="flex" flexDirection="column" gridGap={16}>
            <Box display="flex" gridGap={16} flexWrap="wrap">
              <TextField
                id={`${fieldId}-1`}
                select
                label="Protocol"
                value={protocol}
                onChange={e => chooseProtocol(e.target.value as TestProtocol)}
                SelectProps={{ native: true }}
                variant="outlined"
                size="small"
              >
                {protocols.map(p => (
                  <option key={p} value={p}>
                    {PROTOCOL_LABELS[p]}
                  </option>
                ))}
              </TextField>
              {presets.length > 0 && (
                <TextField
                  id={`${fieldId}-2`}
                  select
                  label="Preset"
                  value={presetId}
                  onChange={e => choosePreset(e.target.value)}
                  SelectProps={{ native: true }}
                  variant="outlined"
                  size="small"
                >
                  {presets.map(p => (
                    <option key={p.id} value={p.id}>
                      {p.label}
                    </option>
                  ))}
                </TextField>
              )}
            </Box>
            <RadioGroup
              aria-label="Send to"
              value={target}
              onChange={e =>
                setTarget(e.target.value as TestInvocationRequest['target'])
              }
            >
              <FormControlLabel
                value="gateway"
                control={<Radio />}
                disabled={!gatewayReady}
                label="Through the public gateway (with the publication's newest API key)"
              />
              {!gatewayReady && gatewayHint && (
                <FormHelperText>{gatewayHint}</FormHelperText>
              )}
              <FormControlLabel
                value="in-cluster"
                control={<Radio />}
                label="Straight to the model, inside the cluster"
              />
            </RadioGroup>
            {isStreamable(protocol) && (
              <FormControlLabel
                control={
                  <Checkbox
                    checked={stream}
                    onChange={e => setStream(e.target.checked)}
                  />
                }
                label="Stream the answer"
              />
            )}
            <RequestEditor
              value={bodyText}
              error={hasBody(protocol) ? parsed.error : undefined}
              disabled={!hasBody(protocol)}
              onChange={setBodyText}
            />
            <Box>
              <PermittedButton
                permission={permission}
                color="primary"
                variant="contained"
                onClick={submit}
                disabled={
                  state.status === 'running' ||
                  (hasBody(protocol) && Boolean(parsed.error))
                }
              >
                Send
              </PermittedButton>
            </Box>
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Response">
          {state.status === 'idle' && 'Send a request to see the answer here.'}
          {state.status === 'running' && (
            <>
              <Progress />
              {state.chunks.length > 0 && (
                <StreamedText chunks={state.chunks} streaming />
              )}
            </>
          )}
          {state.status === 'failed' && (
            <ApiErrorPanel
              error={state.error}
              title="The test request failed"
            />
          )}
          {state.status === 'done' && (
            <ResponseView result={state.result} chunks={state.chunks} />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

import { useMemo, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import type {
  ApiKeyInfo,
  ModelType,
  TestInvocationRequest,
  TestProtocol,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { PermittedButton } from '../PermittedButton';
import { SelectField } from '../SelectField';
import type { InvocationSource } from './invocationSource';
import {
  defaultProtocol,
  hasBody,
  isStreamable,
  PROTOCOL_LABELS,
  protocolsFor,
} from './protocols';
import { parseRequestBody, RequestEditor } from './RequestEditor';
import { ResponseCard } from './ResponseCard';
import { presetsFor, presetText } from './testPresets';
import { useTestInvocation } from './useTestInvocation';

type Target = TestInvocationRequest['target'];

/** Where the request goes: through the gateway (only once it can be used there) or in-cluster. */
function TargetChoice(props: {
  value: Target;
  gatewayReady: boolean;
  gatewayHint?: string;
  onChange: (target: Target) => void;
}) {
  const { value, gatewayReady, gatewayHint, onChange } = props;
  return (
    <RadioGroup
      aria-label="Send to"
      value={value}
      onChange={e => onChange(e.target.value as Target)}
    >
      <FormControlLabel
        value="gateway"
        control={<Radio />}
        disabled={!gatewayReady}
        label="Through the public gateway, with an API key of the publication"
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
  );
}

const NEWEST_KEY = 'newest';
const NO_KEY = 'none';

/** Which key a gateway call sends: the newest (default), a chosen one, or none. */
function KeyChoice(props: {
  apiKeys: readonly ApiKeyInfo[];
  value: string;
  onChange: (value: string) => void;
}) {
  const { apiKeys, value, onChange } = props;
  const label = (key: ApiKeyInfo) =>
    `${key.name} (…${key.last4})${key.expiresAt ? ', rotated' : ''}`;
  const newest = apiKeys[apiKeys.length - 1];
  return (
    <SelectField
      label="API key"
      value={value}
      options={[
        ...(newest
          ? [{ value: NEWEST_KEY, label: `Newest: ${label(newest)}` }]
          : []),
        ...apiKeys.map(key => ({ value: key.id, label: label(key) })),
        { value: NO_KEY, label: 'No key (see what the gateway answers)' },
      ]}
      onChange={onChange}
    />
  );
}

/** The request fields that pick the key of a gateway call. */
function keyFields(choice: string): Partial<TestInvocationRequest> {
  if (choice === NO_KEY) return { withoutApiKey: true };
  if (choice === NEWEST_KEY) return {};
  return { apiKeyId: choice };
}

export interface TestConsoleProps {
  modelType?: ModelType;
  /** The name OpenAI bodies carry in `model` (the gateway overrides it with the public name). */
  requestModelName: string;
  /** Whether the gateway can be used: published, with at least one key. */
  gatewayReady: boolean;
  /** The publication's keys, newest last (metadata only). */
  apiKeys?: readonly ApiKeyInfo[];
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
    apiKeys = [],
    permission,
    source,
  } = props;
  const protocols = protocolsFor(modelType);
  const [protocol, setProtocol] = useState<TestProtocol>(
    defaultProtocol(modelType),
  );
  const presets = presetsFor(protocol);
  const [presetId, setPresetId] = useState(presets[0]?.id ?? '');
  const [bodyText, setBodyText] = useState(() =>
    presets[0] ? presetText(presets[0], requestModelName) : '',
  );
  const [target, setTarget] = useState<Target>(
    gatewayReady ? 'gateway' : 'in-cluster',
  );
  const [keyChoice, setKeyChoice] = useState(NEWEST_KEY);
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
      ...(target === 'gateway' ? keyFields(keyChoice) : {}),
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
              <SelectField
                label="Protocol"
                value={protocol}
                options={protocols.map(p => ({
                  value: p,
                  label: PROTOCOL_LABELS[p],
                }))}
                onChange={value => chooseProtocol(value as TestProtocol)}
              />
              {presets.length > 0 && (
                <SelectField
                  label="Preset"
                  value={presetId}
                  options={presets.map(p => ({ value: p.id, label: p.label }))}
                  onChange={choosePreset}
                />
              )}
            </Box>
            <TargetChoice
              value={target}
              gatewayReady={gatewayReady}
              gatewayHint={gatewayHint}
              onChange={setTarget}
            />
            {target === 'gateway' && (
              <KeyChoice
                apiKeys={apiKeys}
                value={keyChoice}
                onChange={setKeyChoice}
              />
            )}
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
        <ResponseCard state={state} />
      </Grid>
    </Grid>
  );
}

export {
  isPrometheusUnavailable,
  isUsageNotConfigured,
  USAGE_CONFIG_KEY,
  UsageErrorPanel,
  UsageNotConfiguredPanel,
} from './UsageStates';

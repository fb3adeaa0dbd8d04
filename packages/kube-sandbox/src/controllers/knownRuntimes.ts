/**
 * Model formats and runtimes a default KServe installation recognises
 * (the ClusterServingRuntimes KServe ships), plus `vllm` which the portal
 * offers as a format. ServingRuntimes found in the sandbox are accepted too.
 */
export const KNOWN_MODEL_FORMATS = [
  'sklearn',
  'xgboost',
  'lightgbm',
  'tensorflow',
  'pytorch',
  'onnx',
  'huggingface',
  'triton',
  'pmml',
  'paddle',
  'mlflow',
  'vllm',
];

export const KNOWN_RUNTIMES = [
  'kserve-sklearnserver',
  'kserve-xgbserver',
  'kserve-lgbserver',
  'kserve-tensorflow-serving',
  'kserve-torchserve',
  'kserve-tritonserver',
  'kserve-pmmlserver',
  'kserve-paddleserver',
  'kserve-mlserver',
  'kserve-huggingfaceserver',
  'kserve-huggingfaceserver-multinode',
];

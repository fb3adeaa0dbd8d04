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

/**
 * The formats that no default runtime auto-selects over protocol v1, the protocol KServe assumes
 * when a model sets no `protocolVersion` (kserve/kserve v0.20.0
 * pkg/apis/serving/v1beta1/predictor_model.go `GetProtocol`; `GetSupportingRuntimes` keeps only
 * runtimes whose `protocolVersions` include it). From config/runtimes/*.yaml at v0.20.0:
 * kserve-tritonserver (onnx, triton, tensorrt) and kserve-mlserver (mlflow) serve v2 only.
 */
export const V2_ONLY_MODEL_FORMATS = ['onnx', 'triton', 'tensorrt', 'mlflow'];

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

/**
 * The default runtime KServe picks for a model format (the ClusterServingRuntime whose
 * `supportedModelFormats` auto-selects it, kserve/kserve v0.20.0 config/runtimes/).
 */
export const RUNTIME_FOR_FORMAT: Record<string, string> = {
  sklearn: 'kserve-sklearnserver',
  xgboost: 'kserve-xgbserver',
  lightgbm: 'kserve-lgbserver',
  tensorflow: 'kserve-tensorflow-serving',
  pytorch: 'kserve-torchserve',
  onnx: 'kserve-tritonserver',
  triton: 'kserve-tritonserver',
  huggingface: 'kserve-huggingfaceserver',
  pmml: 'kserve-pmmlserver',
  paddle: 'kserve-paddleserver',
  mlflow: 'kserve-mlserver',
};

/**
 * The container image of each default runtime: the image names of config/runtimes/*.yaml as
 * kserve/kserve v0.20.0 config/runtimes/kustomization.yaml (`images:`) rewrites them.
 */
export const RUNTIME_IMAGE: Record<string, string> = {
  'kserve-sklearnserver': 'kserve/sklearnserver:latest',
  'kserve-xgbserver': 'kserve/xgbserver:latest',
  'kserve-lgbserver': 'kserve/lgbserver:latest',
  'kserve-tensorflow-serving': 'tensorflow/serving:2.6.2',
  'kserve-torchserve': 'pytorch/torchserve-kfs:0.9.0',
  'kserve-tritonserver': 'nvcr.io/nvidia/tritonserver:23.05-py3',
  'kserve-pmmlserver': 'kserve/pmmlserver:latest',
  'kserve-paddleserver': 'kserve/paddleserver:latest',
  'kserve-mlserver': 'docker.io/seldonio/mlserver:1.7.1',
  'kserve-huggingfaceserver': 'kserve/huggingfaceserver:latest',
  'kserve-huggingfaceserver-multinode': 'kserve/huggingfaceserver:latest-gpu',
};

/**
 * Model specs of the sample models (configs/models), for tests that create models through the
 * inference API: the scikit-learn iris classifier and the Qwen chat model on the Hugging Face
 * runtime (OpenAI-compatible).
 */
export const irisSpec = (name = 'iris') => ({
  name,
  framework: 'sklearn',
  storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
});

export const qwenSpec = (name = 'qwen') => ({
  name,
  framework: 'huggingface',
  storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
  args: ['--task=text_generation'],
  modelType: 'openai',
});

import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'build/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' }
    }
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // The engine is a pure function of its arguments: no clock, no timers, no
    // randomness, no process. (Which modules it may import is checked by
    // dependency-cruiser, .dependency-cruiser.cjs.)
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The engine takes `now` as an argument.' },
        { object: 'Math', property: 'random', message: 'The engine is deterministic.' },
        { object: 'performance', property: 'now', message: 'The engine has no clock.' }
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The engine takes `now` as an argument; new Date() reads the clock.'
        }
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'].map(name => ({
          name,
          message: 'The engine has no timers.'
        })),
        { name: 'process', message: 'The engine reads no environment; the front ends do.' },
        { name: 'performance', message: 'The engine has no clock.' }
      ]
    }
  }
)

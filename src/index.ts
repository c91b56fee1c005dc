import * as core from '@actions/core'
import { f } from './smoke.js'
core.info(`smoke ${f()}`)

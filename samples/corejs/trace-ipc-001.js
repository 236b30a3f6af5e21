const Core = require('clustercore');

// 实现AppMain
class AppMain extends Core.AppMain {
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // Master进程中 - 创建一个Worker进程
    if (processId === 'M') {
      this.clusterCore.fork(1);
    }
    // Worker进程中 - 向主进程发起TraceIPC
    else {
      this.clusterCore.sendDataWithTraceCallBack('M', { action: 'TEST_TRACE_IPC_ACTION', payload: 1 }, (data) => {
        console.log(`进程[${this.processId}]收到了消息答复:[${JSON.stringify(data)}]`);
      });
    }
  }

  // 打印IPC消息
  onProcessDidReceiveMessage(fromProcessId, data) {
    const { action, payload, traceId } = data;
    // 根据action判断消息是否需要应答
    if (action === 'TEST_TRACE_IPC_ACTION') {
      // 应答消息时，将应答的traceId放入消息体
      const ipcData = {
        traceId,
        action: 'TEST_TRACE_IPC_RES_ACTION',
        payload: payload + 1
      };
      this.clusterCore.sendData(fromProcessId, ipcData);
    }
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();

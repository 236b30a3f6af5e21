const Core = require('clustercore');

class AppMain extends Core.AppMain {
  /**
   * 进程初始化完成
   * @override
   */
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // Master进程 - 创建两个Worker进程
    if (processId === 'M') {
      Core.ClusterCore.fork(2);
    }
    // Worker进程 - 在两个Worker进程间进行通信
    else {
      Core.ClusterCore.getAllProcessIds((err, processIds) => {
        if (err || processIds.length !== 3) {
          return;
        }
        const toProcessId = processIds[1];
        const fromProcessId = processIds[2];
        // 发起TraceIPC
        this.processId === fromProcessId && Core.ClusterCore.sendDataWithTraceCallBack(toProcessId, {
          // 设置消息的触发动作
          action: 'TEST_TRACE_IPC_ACTION',
          // 设置消息的附属数据
          payload: { value: '这是一个🌰' }
        }, (resData, next) => {
          console.log(`TraceIPC收到了应答消息:[${JSON.stringify(resData)}]`);
          // 使用next()分发应答消息进入AppMain中的确认处理
          next();
        });
      });
    }
  }

  /**
   * 进程确认处理自定义通信消息
   * @override
   */
  onProcessDidReceiveMessage(fromProcessId, data) {
    console.log(`进程[${this.processId}]处理来自进程[${fromProcessId}]的消息:[${JSON.stringify(data)}]`);
    const { action, payload } = data;
    // 使用action判断是否需要应答
    if (action === 'TEST_TRACE_IPC_ACTION') {
      const { value } = payload;
      // 获取链路追踪信息
      const { responsive, resTrace } = data.getTraceDetail();
      // 发送应答消息
      const resData = {
        action: 'TEST_TRACE_IPC_RES_ACTION',
        payload: { value: value + '🌰' }
      };
      responsive && resTrace(resData);
    }
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
